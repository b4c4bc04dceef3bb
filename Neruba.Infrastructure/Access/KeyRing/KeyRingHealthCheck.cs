using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Neruba.Infrastructure.Access.KeyRing;

/// <summary>
/// Degraded (still ready) when server mode keeps the cookie-signing keys in a shared folder without a
/// certificate: anyone who can read that share could forge sign-ins. The answer is anonymous, so it never names the folder.
/// </summary>
public sealed class KeyRingHealthCheck(KeyRingSettings keyRing) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keyRing switch
        {
            { HasCertificate: true } => HealthCheckResult.Healthy("Cookie-signing keys encrypted with the configured certificate."),
            { IsServerMode: true } => HealthCheckResult.Degraded(
                $"Cookie-signing keys in the shared folder are not encrypted: set {KeyRingSettings.SectionName}:CertificatePath " +
                $"(and CertificatePassword) so the keys in the shared folder are protected by a certificate."),
            _ => HealthCheckResult.Healthy("Cookie-signing keys readable by this account only."),
        });
}
