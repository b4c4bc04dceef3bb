using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Neruba.Infrastructure.Access.ApiKeys;

/// <summary>
/// Makes and recognises API key secrets. A secret is <c>nrb_</c> plus 40 random characters (about 238 bits),
/// so a plain SHA-256 of it is a safe thing to store: nobody can guess their way back to it.
/// </summary>
public static class ApiKeySecrets
{
    public const string Marker = "nrb_";
    public const int PrefixLength = 12;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> AlphabetChars = SearchValues.Create(Alphabet);

    public static string NewSecret() => Marker + RandomNumberGenerator.GetString(Alphabet, 40);

    public static string PrefixOf(string secret) => secret.Length <= PrefixLength ? secret : secret[..PrefixLength];

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Cheap shape check before any database work: right marker, right length, right characters.</summary>
    public static bool LooksLikeSecret(string? value) =>
        value is { Length: 44 } && value.StartsWith(Marker, StringComparison.Ordinal) && !value.AsSpan(Marker.Length).ContainsAnyExcept(AlphabetChars);
}
