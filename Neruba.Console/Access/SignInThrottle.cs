namespace Neruba.Console.Access;

/// <summary>
/// Counts failed sign-ins per client address over a sliding five minutes. The per-account lockout
/// stops guessing one password; this stops one address from trying many accounts.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, IConfiguration configuration)
{
    public const string SettingKey = "Neruba:SignIn:FailuresPerAddress";
    public const int DefaultFailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly FailureWindow _failures = new(clock, Window, Math.Max(1, configuration.GetValue(SettingKey, DefaultFailuresPerAddress)));

    /// <summary>How long the address must wait before its next attempt, or null when it may try now.</summary>
    public TimeSpan? WaitFor(string address) => _failures.WaitFor(address);

    public void RecordFailure(string address) => _failures.RecordFailure(address);
}
