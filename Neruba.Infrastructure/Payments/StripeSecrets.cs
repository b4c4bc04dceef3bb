using Microsoft.AspNetCore.DataProtection;

namespace Neruba.Infrastructure.Payments;

/// <summary>Encrypts a project's Stripe secrets at rest with the app's Data Protection keys; only a short hint is ever shown again.</summary>
public sealed class StripeSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Neruba.Payments.Stripe.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>"sk_test_…4242": enough to tell two keys apart, too little to use.</summary>
    public static string Hint(string secret)
    {
        var prefixEnd = secret.LastIndexOf('_') + 1;
        var prefix = prefixEnd is > 0 and <= 8 ? secret[..prefixEnd] : "";
        return secret.Length <= prefix.Length + 8 ? prefix + "…" : $"{prefix}…{secret[^4..]}";
    }
}
