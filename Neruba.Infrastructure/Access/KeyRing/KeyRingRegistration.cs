using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Access.KeyRing;

public static class KeyRingRegistration
{
    /// <summary>
    /// Data Protection with its keys outside the database (a copy of the database, or a backup, must not
    /// carry what forges sign-in cookies): in an owner-only folder, encrypted with a certificate when configured.
    /// </summary>
    public static IServiceCollection AddNerubaKeyRing(this IServiceCollection services, KeyRingSettings keyRing)
    {
        services.AddSingleton(keyRing);
        var dataProtection = services.AddDataProtection().SetApplicationName("Neruba");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new OwnerOnlyXmlRepository(keyRing.KeysDirectory));
        if (keyRing.HasCertificate)
        {
            dataProtection.ProtectKeysWithCertificate(LoadCertificate(keyRing));
        }

        return services;
    }

    private static X509Certificate2 LoadCertificate(KeyRingSettings keyRing)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(keyRing.CertificatePath!, keyRing.CertificatePassword);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new NerubaConfigurationException(
                $"{KeyRingSettings.SectionName}:CertificatePath '{keyRing.CertificatePath}' could not be loaded (with {KeyRingSettings.SectionName}:CertificatePassword): {exception.Message}");
        }
    }
}
