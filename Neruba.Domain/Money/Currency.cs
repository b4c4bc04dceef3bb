namespace Neruba.Domain.Money;

/// <summary>An ISO 4217 currency and the number of decimal places of its minor unit.</summary>
public sealed record Currency
{
    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    public string Code { get; }

    /// <summary>Digits after the decimal point: USD 2, JPY 0, KWD 3.</summary>
    public int Exponent { get; }

    /// <summary>Minor units in one major unit: 100 for USD, 1 for JPY, 1000 for KWD.</summary>
    public long MinorPerMajor => Exponent switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => throw new InvalidOperationException($"Exponent {Exponent} is not supported.") };

    public override string ToString() => Code;

    // The currencies Neruba accepts. Exponents from ISO 4217; extend the table, never guess.
    private static readonly Dictionary<string, Currency> Table = new[]
    {
        ("USD", 2), ("EUR", 2), ("GBP", 2), ("CHF", 2), ("CAD", 2), ("AUD", 2), ("NZD", 2), ("SEK", 2),
        ("NOK", 2), ("DKK", 2), ("PLN", 2), ("CZK", 2), ("HUF", 2), ("RON", 2), ("BGN", 2), ("INR", 2),
        ("CNY", 2), ("HKD", 2), ("SGD", 2), ("MXN", 2), ("BRL", 2), ("ZAR", 2), ("ILS", 2), ("TRY", 2),
        ("AED", 2), ("SAR", 2), ("THB", 2), ("MYR", 2), ("PHP", 2), ("IDR", 2), ("TWD", 2),
        ("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0), ("VND", 0), ("XOF", 0), ("XAF", 0), ("UGX", 0),
        ("KWD", 3), ("BHD", 3), ("OMR", 3), ("JOD", 3), ("TND", 3), ("LYD", 3), ("IQD", 3),
    }.ToDictionary(c => c.Item1, c => new Currency(c.Item1, c.Item2), StringComparer.Ordinal);

    public static IReadOnlyCollection<Currency> All => Table.Values;

    /// <summary>Finds a currency by its three-letter code (case-insensitive).</summary>
    public static bool TryFind(string? code, out Currency currency)
    {
        currency = null!;
        return code is not null && Table.TryGetValue(code.Trim().ToUpperInvariant(), out currency!);
    }

    public static Currency Of(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"'{code}' is not a currency Neruba knows (ISO 4217 code such as USD, EUR, JPY).", nameof(code));
}
