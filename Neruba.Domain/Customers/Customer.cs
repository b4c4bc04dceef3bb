namespace Neruba.Domain.Customers;

/// <summary>
/// Someone a project bills. The external id is the integrating system's key for the customer
/// and is unique within a project; it never changes once set.
/// </summary>
public sealed class Customer
{
    public const int MaxExternalIdLength = 100;
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxMetadataLength = 8_000;

    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public string ExternalId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public string Currency { get; private set; } = "USD";
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>A JSON object of string values the integrator attaches (CRM ids, segments). Never interpreted.</summary>
    public string Metadata { get; private set; } = "{}";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    private Customer() { }

    public Customer(Guid id, Guid projectId, string externalId, string name, string? email, string currency, string timeZone,
        DateTimeOffset createdAt, string metadata = "{}")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        Id = id;
        ProjectId = projectId;
        ExternalId = externalId;
        CreatedAt = createdAt;
        Change(name, email, currency, timeZone, metadata, createdAt);
    }

    public void Change(string name, string? email, string currency, string timeZone, string metadata, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        Currency = Money.Currency.Of(currency).Code;
        TimeZone = timeZone;
        Metadata = metadata;
        UpdatedAt = at;
    }
}
