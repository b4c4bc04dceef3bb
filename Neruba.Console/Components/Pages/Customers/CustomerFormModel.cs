using Neruba.Infrastructure.Customers;

namespace Neruba.Console.Components.Pages.Customers;

/// <summary>What the customer form edits, with metadata as "key=value" lines for people to type.</summary>
public sealed class CustomerFormModel
{
    public string? ExternalId { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string Currency { get; set; } = "USD";
    public string TimeZone { get; set; } = "UTC";
    public string? MetadataText { get; set; }

    public static CustomerFormModel From(CustomerView customer) => new()
    {
        ExternalId = customer.ExternalId,
        Name = customer.Name,
        Email = customer.Email,
        Currency = customer.Currency,
        TimeZone = customer.TimeZone,
        MetadataText = string.Join('\n', customer.Metadata.Select(m => $"{m.Key}={m.Value}")),
    };

    public CustomerInput ToInput() => new(Name, Email, Currency, TimeZone, ParseMetadata());

    private Dictionary<string, string> ParseMetadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (MetadataText ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? line : line[..separator].Trim();
            metadata[key] = separator < 0 ? "" : line[(separator + 1)..].Trim();
        }

        return metadata;
    }
}
