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
    public DateTimeOffset CreatedAt { get; private set; }

    private Project() { }

    public Project(Guid id, string name, string slug, string defaultCurrency, string timeZone, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A project name has at most {MaxNameLength} characters.", nameof(name));
        }

        Id = id;
        Name = name.Trim();
        Slug = slug;
        DefaultCurrency = defaultCurrency;
        TimeZone = timeZone;
        CreatedAt = createdAt;
    }
}
