using Neruba.Domain.Access;
using Neruba.Domain.Money;

namespace Neruba.Infrastructure.Access.Projects;

public sealed record ProjectView(Guid Id, string Name, string Slug, string DefaultCurrency, string TimeZone, MoneyAmount CreditApprovalThreshold, int UsageGraceHours,
    int CreditApprovalWindowHours, MoneyAmount MaxCreditGrant, MoneyAmount CorrectionApprovalThreshold, SellerView Seller)
{
    public static ProjectView From(Project project) => new(project.Id, project.Name, project.Slug, project.DefaultCurrency, project.TimeZone,
        new MoneyAmount(project.CreditApprovalThresholdMinor, Currency.Of(project.DefaultCurrency)), project.UsageGraceHours,
        project.CreditApprovalWindowHours, new MoneyAmount(project.MaxCreditGrantMinor, Currency.Of(project.DefaultCurrency)),
        new MoneyAmount(project.CorrectionApprovalThresholdMinor, Currency.Of(project.DefaultCurrency)),
        new SellerView(project.SellerName, project.SellerAddress, project.SellerEmail, project.SellerTaxId));

    /// <summary>The state written to the audit log before and after a change.</summary>
    public object ForAudit() => new
    {
        Name, DefaultCurrency, TimeZone, CreditApprovalThreshold = CreditApprovalThreshold.ToString(), UsageGraceHours, CreditApprovalWindowHours,
        MaxCreditGrant = MaxCreditGrant.ToString(), CorrectionApprovalThreshold = CorrectionApprovalThreshold.ToString(), Seller,
    };
}

/// <summary>The seller block as stored: empty fields are not printed, an empty name prints the project's name.</summary>
public sealed record SellerView(string Name, string Address, string Email, string TaxId);
