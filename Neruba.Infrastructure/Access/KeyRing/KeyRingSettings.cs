using Microsoft.Extensions.Configuration;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Access.KeyRing;

/// <summary>
/// Where the keys that sign sign-in and antiforgery cookies live (<c>Neruba:DataProtection</c>): a folder
/// (the data folder's <c>keys</c> by default; in server mode a folder every console node shares) and,
/// optionally, a certificate that encrypts them at rest.
/// </summary>
public sealed record KeyRingSettings(bool IsServerMode, string KeysDirectory, string? CertificatePath, string? CertificatePassword)
{
    public const string SectionName = "Neruba:DataProtection";

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath);

    public static KeyRingSettings Load(IConfiguration configuration, NerubaSettings settings)
    {
        var section = configuration.GetSection(SectionName);
        var keysDirectory = section["KeysDirectory"];
        return new KeyRingSettings(
            !settings.IsEmbedded,
            Path.GetFullPath(string.IsNullOrWhiteSpace(keysDirectory) ? Path.Combine(settings.DataDirectory, "keys") : keysDirectory),
            string.IsNullOrWhiteSpace(section["CertificatePath"]) ? null : Path.GetFullPath(section["CertificatePath"]!),
            section["CertificatePassword"]);
    }
}
