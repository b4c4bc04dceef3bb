using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Customers;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers;

/// <summary>The editable fields of a customer, as typed in the console or sent to the API.</summary>
public sealed record CustomerInput(string? Name, string? Email, string? Currency, string? TimeZone, IReadOnlyDictionary<string, string>? Metadata);

internal static class CustomerRules
{
    public const int MaxMetadataKeys = 50;
    public const int MaxMetadataKeyLength = 40;
    public const int MaxMetadataValueLength = 500;

    public static ValidationErrors Validate(CustomerInput? input, ValidationErrors errors)
    {
        if (input is null)
        {
            return errors.Add("name", "Customer details are required.");
        }

        errors.Required("name", input.Name, Customer.MaxNameLength, "Name")
            .Email("email", input.Email, required: false)
            .Currency("currency", input.Currency)
            .TimeZone("timeZone", input.TimeZone);
        if (input.Metadata is { } metadata)
        {
            if (metadata.Count > MaxMetadataKeys)
            {
                errors.Add("metadata", $"Metadata has at most {MaxMetadataKeys} keys.");
            }

            foreach (var (key, value) in metadata)
            {
                if (string.IsNullOrWhiteSpace(key) || key.Length > MaxMetadataKeyLength)
                {
                    errors.Add("metadata", $"Metadata keys are 1 to {MaxMetadataKeyLength} characters; '{Shorten(key)}' is not.");
                }

                if (value is null || value.Length > MaxMetadataValueLength)
                {
                    errors.Add("metadata", $"Metadata value for '{Shorten(key)}' must be text of at most {MaxMetadataValueLength} characters.");
                }
                else if ((TextRules.Problem(key) ?? TextRules.Problem(value)) is { } problem)
                {
                    errors.Add("metadata", $"Metadata '{Shorten(key)}' {problem}");
                }
            }
        }

        return errors;
    }

    public static string MetadataJson(CustomerInput input) => JsonSerializer.Serialize(input.Metadata ?? new Dictionary<string, string>());

    /// <summary>
    /// Finds a customer of the current project by its Neruba id or, failing that, by its external id. The Neruba id is
    /// tried first, so an external id that copies another customer's Neruba id can never take its place.
    /// </summary>
    public static async Task<Customer?> FindAsync(UseCaseContext context, string? idOrExternalId, CancellationToken cancellationToken)
    {
        var key = idOrExternalId?.Trim() ?? "";
        var customers = context.Db.Customers.Where(c => c.ProjectId == context.ProjectId);
        if (Guid.TryParse(key, out var id) && await customers.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } byId)
        {
            return byId;
        }

        return await customers.FirstOrDefaultAsync(c => c.ExternalId == key, cancellationToken);
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 20 ? text[..20] + "…" : text;
}
