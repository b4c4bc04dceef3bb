using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Neruba.Infrastructure.Access.KeyRing;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Tests.Access;

public sealed class KeyRingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "neruba-keyring-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Server_mode_without_a_certificate_is_ready_but_degraded_with_a_reason()
    {
        var keyRing = Load(("Neruba:Database:Provider", "SqlServer"), ("Neruba:Database:ConnectionString", "Server=db;Database=Neruba"),
            ("Neruba:DataProtection:KeysDirectory", Path.Combine(_folder, "shared")));

        var result = await new KeyRingHealthCheck(keyRing).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(Path.Combine(_folder, "shared"), keyRing.KeysDirectory);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("Neruba:DataProtection:CertificatePath", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_mode_keeps_the_keys_in_the_data_folder_and_is_healthy()
    {
        var keyRing = Load();

        var result = await new KeyRingHealthCheck(keyRing).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(Path.Combine(_folder, "keys"), keyRing.KeysDirectory);
        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task With_a_certificate_the_keys_at_rest_are_encrypted_and_server_mode_is_healthy()
    {
        var pfx = Path.Combine(_folder, "keys.pfx");
        Directory.CreateDirectory(_folder);
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Neruba key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        }

        var keyRing = Load(("Neruba:Database:Provider", "SqlServer"), ("Neruba:Database:ConnectionString", "Server=db;Database=Neruba"),
            ("Neruba:DataProtection:CertificatePath", pfx), ("Neruba:DataProtection:CertificatePassword", "test-password"));
        await using var services = new ServiceCollection().AddLogging().AddNerubaKeyRing(keyRing).BuildServiceProvider();
        var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        Assert.Equal("cookie", protector.Unprotect(protector.Protect("cookie")));
        var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(_folder, "keys"), "*.xml"));
        Assert.Contains("encryptedSecret", await File.ReadAllTextAsync(keyFile), StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, (await new KeyRingHealthCheck(keyRing).CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private KeyRingSettings Load(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Append(("Neruba:DataDirectory", _folder)).Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2)))
            .Build();
        return KeyRingSettings.Load(configuration, NerubaSettings.Load(configuration));
    }
}
