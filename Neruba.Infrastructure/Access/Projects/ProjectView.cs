using Neruba.Domain.Access;
using Neruba.Domain.Money;

namespace Neruba.Infrastructure.Access.Projects;

public sealed record ProjectView(Guid Id, string Name, string Slug, string DefaultCurrency, string TimeZone, MoneyAmount CreditApprovalThreshold, int UsageGraceHours,
    int CreditApprovalWindowHours, MoneyAmount MaxCreditGrant)
{
    public static ProjectView From(Project project) => new(project.Id, project.Name, project.Slug, project.DefaultCurrency, project.TimeZone,
        new MoneyAmount(project.CreditApprovalThresholdMinor, Currency.Of(project.DefaultCurrency)), project.UsageGraceHours,
        project.CreditApprovalWindowHours, new MoneyAmount(project.MaxCreditGrantMinor, Currency.Of(project.DefaultCurrency)));

    /// <summary>The state written to the audit log before and after a change.</summary>
    public object ForAudit() => new
    {
        Name, DefaultCurrency, TimeZone, CreditApprovalThreshold = CreditApprovalThreshold.ToString(), UsageGraceHours, CreditApprovalWindowHours,
        MaxCreditGrant = MaxCreditGrant.ToString(),
    };
}
