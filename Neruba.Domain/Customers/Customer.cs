namespace Neruba.Domain.Customers;

/// <summary>
/// Someone a project bills. The external id is the integrating system's key for the customer
/// and is unique within a project.
/// </summary>
public sealed class Customer
{
    public const int MaxExternalIdLength = 100;
    public const int MaxNameLength = 200;

    public Guid Id { get; private set; }
    public Guid ProjectId { get; private set; }
    public string ExternalId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public string Currency { get; private set; } = "USD";
    public string TimeZone { get; private set; } = "UTC";
    public DateTimeOffset CreatedAt { get; private set; }

    private Customer() { }

    public Customer(Guid id, Guid projectId, string externalId, string name, string? email, string currency, string timeZone, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = id;
        ProjectId = projectId;
        ExternalId = externalId;
        Name = name;
        Email = email;
        Currency = currency;
        TimeZone = timeZone;
        CreatedAt = createdAt;
    }
}
