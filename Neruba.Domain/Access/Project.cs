namespace Neruba.Domain.Access;

/// <summary>A tenant: every customer, key, ledger account and run belongs to exactly one project.</summary>
public sealed class Project
{
    public const int MaxNameLength = 100;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>Stable, URL-safe handle; the demo seed finds its project by it.</summary>
    public string Slug { get; private set; } = "";

    public string DefaultCurrency { get; private set; } = "USD";
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>A new project's approval threshold, in major units of its currency: small goodwill posts at once, more waits.</summary>
    public const int DefaultApprovalThresholdMajor = 100;

    /// <summary>A new project's cap on one grant, in major units: a typo of extra zeros never reaches the ledger.</summary>
    public const int DefaultMaxGrantMajor = 10_000;

    public const int DefaultApprovalWindowHours = 24;
    public const int MaxApprovalWindowHours = 24 * 31;

    /// <summary>
    /// Credit a customer is granted (in the default currency) within <see cref="CreditApprovalWindowHours"/>,
    /// pending grants included, above this amount (minor units) waits for a Finance approval.
    /// </summary>
    public long CreditApprovalThresholdMinor { get; private set; }

    /// <summary>The rolling window over which a customer's grants are summed against the threshold, so splitting one grant does not avoid approval.</summary>
    public int CreditApprovalWindowHours { get; private set; } = DefaultApprovalWindowHours;

    /// <summary>The largest single grant (minor units of the default currency) anyone may request; larger ones are refused outright.</summary>
    public long MaxCreditGrantMinor { get; private set; }

    /// <summary>How long after a usage period ends its events still count as on time.</summary>
    public int UsageGraceHours { get; private set; } = 24;

    /// <summary>A new project's correction threshold, in major units: a rerun commit moving more than this waits for a second Finance member.</summary>
    public const int DefaultCorrectionThresholdMajor = 500;

    public const int MaxSellerFieldLength = 200;
    public const int MaxSellerAddressLength = 500;

    /// <summary>
    /// Money moved by one correction above this (minor units of the default currency) needs a second Finance member: a rerun commit (its credit notes
    /// and supplemental invoices together), accepting a dispute, a reconciliation adjustment.
    /// </summary>
    public long CorrectionApprovalThresholdMinor { get; private set; }

    /// <summary>Who issues the project's invoices and credit notes, as printed on them.</summary>
    public string SellerName { get; private set; } = "";

    public string SellerAddress { get; private set; } = "";
    public string SellerEmail { get; private set; } = "";

    /// <summary>A VAT or company number to print, if any.</summary>
    public string SellerTaxId { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where the readiness page turns each signal amber or red.</summary>
    public Operations.ReadinessThresholds Readiness { get; private set; } = new();

    public void ChangeReadinessThresholds(Operations.ReadinessThresholds thresholds) => Readiness = thresholds ?? throw new ArgumentNullException(nameof(thresholds));

    /// <summary>Changes whenever an Admin is demoted or removed, so concurrent such changes cannot leave the project without one.</summary>
    public int AdminVersion { get; private set; }

    private Project() { }

    public Project(Guid id, string name, string slug, string defaultCurrency, string timeZone, DateTimeOffset createdAt,
        long? creditApprovalThresholdMinor = null, long? maxCreditGrantMinor = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        Id = id;
        Slug = slug;
        CreatedAt = createdAt;
        var scale = Money.Currency.Of(defaultCurrency).MinorPerMajor;
        MaxCreditGrantMinor = maxCreditGrantMinor ?? DefaultMaxGrantMajor * scale;
        CorrectionApprovalThresholdMinor = DefaultCorrectionThresholdMajor * scale;
        ChangeSettings(name, defaultCurrency, timeZone, creditApprovalThresholdMinor ?? DefaultApprovalThresholdMajor * scale);
    }

    public void NoteAdminChange() => AdminVersion++;

    /// <summary>The four-eyes window and the cap on one grant.</summary>
    public void ChangeCreditControls(int approvalWindowHours, long maxCreditGrantMinor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(approvalWindowHours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(approvalWindowHours, MaxApprovalWindowHours);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCreditGrantMinor);
        CreditApprovalWindowHours = approvalWindowHours;
        MaxCreditGrantMinor = maxCreditGrantMinor;
    }

    public void ChangeCorrectionThreshold(long thresholdMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(thresholdMinor);
        CorrectionApprovalThresholdMinor = thresholdMinor;
    }

    /// <summary>The seller block printed on invoices and credit notes (each field trimmed; empty means not printed).</summary>
    public void ChangeSeller(string? name, string? address, string? email, string? taxId)
    {
        SellerName = Clip(name, MaxSellerFieldLength);
        SellerAddress = Clip(address, MaxSellerAddressLength);
        SellerEmail = Clip(email, MaxSellerFieldLength);
        SellerTaxId = Clip(taxId, MaxSellerFieldLength);
    }

    private static string Clip(string? value, int max)
    {
        var trimmed = value?.Trim() ?? "";
        return trimmed.Length > max ? throw new ArgumentException($"At most {max} characters.", nameof(value)) : trimmed;
    }

    public void ChangeUsageGrace(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, 24 * 31);
        UsageGraceHours = hours;
    }

    public void ChangeSettings(string name, string defaultCurrency, string timeZone, long creditApprovalThresholdMinor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Trim().Length > MaxNameLength)
        {
            throw new ArgumentException($"A project name has at most {MaxNameLength} characters.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(creditApprovalThresholdMinor);
        Name = name.Trim();
        DefaultCurrency = Money.Currency.Of(defaultCurrency).Code;
        TimeZone = timeZone;
        CreditApprovalThresholdMinor = creditApprovalThresholdMinor;
    }
}
