using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Projects;

/// <summary>The fields a project is created and edited with, checked the same way in both use cases.</summary>
public sealed record ProjectSettingsInput(string? Name, string? DefaultCurrency, string? TimeZone, string? CreditApprovalThreshold, int? UsageGraceHours = null);

internal static class ProjectSettingsRules
{
    public static ValidationErrors Validate(ProjectSettingsInput? input)
    {
        var errors = new ValidationErrors();
        if (input is null)
        {
            return errors.Add("name", "Project settings are required.");
        }

        errors.Required("name", input.Name, Project.MaxNameLength, "Project name")
            .Currency("defaultCurrency", input.DefaultCurrency)
            .TimeZone("timeZone", input.TimeZone);
        if (errors.IsEmpty && ParseThreshold(input, out var error) is null)
        {
            errors.Add("creditApprovalThreshold", error!);
        }

        if (input.UsageGraceHours is < 0 or > 24 * 31)
        {
            errors.Add("usageGraceHours", "The usage grace period is 0 to 744 hours (31 days).");
        }

        return errors;
    }

    /// <summary>The threshold in minor units of the default currency; blank means every grant needs approval (0).</summary>
    public static long? ParseThreshold(ProjectSettingsInput input, out string? error)
    {
        error = null;
        var currency = Currency.Of(input.DefaultCurrency!);
        if (string.IsNullOrWhiteSpace(input.CreditApprovalThreshold))
        {
            return 0;
        }

        if (!MoneyAmount.TryParse(input.CreditApprovalThreshold, currency, out var amount, out error))
        {
            error = "Credit-approval threshold: " + error;
            return null;
        }

        if (amount.Minor < 0)
        {
            error = "Credit-approval threshold cannot be negative.";
            return null;
        }

        return amount.Minor;
    }
}
