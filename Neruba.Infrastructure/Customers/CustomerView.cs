using System.Text.Json;
using Neruba.Domain.Customers;

namespace Neruba.Infrastructure.Customers;

public sealed record CustomerView(Guid Id, string ExternalId, string Name, string? Email, string Currency, string TimeZone,
    IReadOnlyDictionary<string, string> Metadata, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CustomerView From(Customer customer) => new(customer.Id, customer.ExternalId, customer.Name, customer.Email, customer.Currency,
        customer.TimeZone, JsonSerializer.Deserialize<Dictionary<string, string>>(customer.Metadata) ?? [], customer.CreatedAt, customer.UpdatedAt);

    public object ForAudit() => new { ExternalId, Name, Email, Currency, TimeZone, Metadata };
}
