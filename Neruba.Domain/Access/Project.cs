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

    /// <summary>Credit grants above this amount (minor units of the default currency) wait for a Finance approval.</summary>
    public long CreditApprovalThresholdMinor { get; private set; }

    /// <summary>How long after a usage period ends its events still count as on time.</summary>
    public int UsageGraceHours { get; private set; } = 24;

    public DateTimeOffset CreatedAt { get; private set; }

    private Project() { }

    public Project(Guid id, string name, string slug, string defaultCurrency, string timeZone, DateTimeOffset createdAt,
        long creditApprovalThresholdMinor = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        Id = id;
        Slug = slug;
        CreatedAt = createdAt;
        ChangeSettings(name, defaultCurrency, timeZone, creditApprovalThresholdMinor);
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
