using System.Net.Mail;

namespace Neruba.Infrastructure.UseCases;

/// <summary>Collects what is wrong with a request, per field (API field names, camelCase), in plain sentences.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public static ValidationErrors None => new();

    public bool IsEmpty => _errors.Count == 0;

    public string Summary => string.Join(" ", _errors.Values.SelectMany(m => m));

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>A required text: present, not blank, at most <paramref name="maxLength"/> characters, no control or text-direction characters.</summary>
    public ValidationErrors Required(string field, string? value, int maxLength, string label, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{label} is required.");
        }

        return Optional(field, value, maxLength, label, multiline);
    }

    public ValidationErrors Optional(string field, string? value, int maxLength, string label, bool multiline = false)
    {
        if (value is null)
        {
            return this;
        }

        if (value.Trim().Length > maxLength)
        {
            return Add(field, $"{label} has at most {maxLength} characters.");
        }

        return TextRules.Problem(value, multiline) is { } problem ? Add(field, $"{label} {problem}") : this;
    }

    public ValidationErrors Email(string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, "Email is required.") : this;
        }

        var trimmed = value.Trim();
        if (TextRules.Problem(trimmed) is { } problem)
        {
            return Add(field, $"Email {problem}");
        }

        return trimmed.Length <= 254 && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? this
            : Add(field, $"'{trimmed}' is not an email address.");
    }

    public ValidationErrors Currency(string field, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return Add(field, "Currency is required (an ISO 4217 code such as USD).");
        }

        return Domain.Money.Currency.TryFind(code, out _) ? this : Add(field, $"'{code}' is not a currency Neruba knows (ISO 4217 code such as USD, EUR, JPY).");
    }

    public ValidationErrors TimeZone(string field, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Add(field, "Time zone is required (an IANA id such as Europe/Berlin, or UTC).");
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out _) ? this : Add(field, $"'{id}' is not a time zone id (use an IANA id such as Europe/Berlin, or UTC).");
    }
}
