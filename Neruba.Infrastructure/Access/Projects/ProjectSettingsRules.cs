using Neruba.Domain.Access;
using Neruba.Domain.Money;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.Projects;

/// <summary>The fields a project is created and edited with, checked the same way in both use cases.</summary>
/// <remarks>
/// Null window, cap, correction threshold or seller: a new project takes the defaults, an update keeps what the project has. A blank amount is refused;
/// a blank seller field is simply not printed.
/// </remarks>
public sealed record ProjectSettingsInput(string? Name, string? DefaultCurrency, string? TimeZone, string? CreditApprovalThreshold, int? UsageGraceHours = null,
    int? CreditApprovalWindowHours = null, string? MaxCreditGrant = null, string? CorrectionApprovalThreshold = null, SellerInput? Seller = null);

/// <summary>Who issues the project's invoices and credit notes, as printed on them. The address may span lines.</summary>
public sealed record SellerInput(string? Name, string? Address, string? Email, string? TaxId);

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

        if (errors.IsEmpty && input.MaxCreditGrant is not null && ParseMaxGrant(input, out error) is null)
        {
            errors.Add("maxCreditGrant", error!);
        }

        if (errors.IsEmpty && input.MaxCreditGrant is not null && ParseMaxGrant(input, out _) < ParseThreshold(input, out _))
        {
            errors.Add("maxCreditGrant", "The largest single grant cannot be below the approval threshold.");
        }

        if (errors.IsEmpty && input.CorrectionApprovalThreshold is not null && ParseCorrectionThreshold(input, out error) is null)
        {
            errors.Add("correctionApprovalThreshold", error!);
        }

        if (input.Seller is { } seller)
        {
            errors.Optional("sellerName", seller.Name, Project.MaxSellerFieldLength, "Seller name")
                .Optional("sellerAddress", seller.Address, Project.MaxSellerAddressLength, "Seller address", multiline: true)
                .Email("sellerEmail", seller.Email, required: false)
                .Optional("sellerTaxId", seller.TaxId, Project.MaxSellerFieldLength, "Tax id");
        }

        if (input.CreditApprovalWindowHours is < 1 or > Project.MaxApprovalWindowHours)
        {
            errors.Add("creditApprovalWindowHours", $"The approval window is 1 to {Project.MaxApprovalWindowHours} hours.");
        }

        if (input.UsageGraceHours is < 0 or > 24 * 31)
        {
            errors.Add("usageGraceHours", "The usage grace period is 0 to 744 hours (31 days).");
        }

        return errors;
    }

    /// <summary>The threshold in minor units of the default currency. Blank is refused: it must never silently mean "approve everything" or "nothing".</summary>
    public static long? ParseThreshold(ProjectSettingsInput input, out string? error) =>
        ParseAmount(input.CreditApprovalThreshold, input.DefaultCurrency!, "Credit-approval threshold", allowZero: true, out error);

    /// <summary>The cap on one grant in minor units of the default currency.</summary>
    public static long? ParseMaxGrant(ProjectSettingsInput input, out string? error) =>
        ParseAmount(input.MaxCreditGrant, input.DefaultCurrency!, "Largest single grant", allowZero: false, out error);

    /// <summary>The rerun-commit approval threshold in minor units of the default currency; zero means every commit needs a second person.</summary>
    public static long? ParseCorrectionThreshold(ProjectSettingsInput input, out string? error) =>
        ParseAmount(input.CorrectionApprovalThreshold, input.DefaultCurrency!, "Correction-approval threshold", allowZero: true, out error);

    /// <summary>Applies the optional parts of the input (correction threshold, seller) that both creating and editing a project share.</summary>
    public static void ApplyCorrections(Project project, ProjectSettingsInput input)
    {
        if (input.CorrectionApprovalThreshold is not null)
        {
            project.ChangeCorrectionThreshold(ParseCorrectionThreshold(input, out _)!.Value);
        }

        if (input.Seller is { } seller)
        {
            project.ChangeSeller(seller.Name, seller.Address, seller.Email, seller.TaxId);
        }
    }

    private static long? ParseAmount(string? text, string currencyCode, string label, bool allowZero, out string? error)
    {
        error = null;
        var currency = Currency.Of(currencyCode);
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"{label} is required (an amount in {currency.Code}).";
            return null;
        }

        if (!MoneyAmount.TryParse(text, currency, out var amount, out error))
        {
            error = $"{label}: {error}";
            return null;
        }

        if (amount.Minor < 0 || (!allowZero && amount.Minor == 0))
        {
            error = allowZero ? $"{label} cannot be negative." : $"{label} must be more than zero.";
            return null;
        }

        return amount.Minor;
    }
}
