using Neruba.Infrastructure.Access.ApiKeys;

namespace Neruba.Console.Api;

/// <summary>
/// Slows down key guessing without punishing good clients. Refusals are counted per partition: the
/// presented key's public prefix for well-formed <c>nrb_</c> keys, and the client address for everything
/// else and across all prefixes. A partition with too many refused requests in a minute is answered 429
/// until its oldest refusal is a minute old. A valid key is looked up first and never blocked (see <see cref="ApiKeyAuthentication"/>).
/// </summary>
public sealed class ApiFailureLimiter(TimeProvider clock, IConfiguration configuration)
{
    public const string SettingKey = "Neruba:Api:RefusalsPerMinute";
    public const int DefaultMaxFailuresPerWindow = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Access.FailureWindow _failures = new(clock, Window, Math.Max(1, configuration.GetValue(SettingKey, DefaultMaxFailuresPerWindow)));

    /// <summary>The partition of refusals with one key prefix, whichever address they come from.</summary>
    public static string KeyPartition(string presentedSecret) => "key:" + ApiKeySecrets.PrefixOf(presentedSecret);

    /// <summary>The partition of every refusal from one client address (after trusted proxies).</summary>
    public static string AddressPartition(HttpContext http) => "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>How long the partition must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string partition) => _failures.WaitFor(partition);

    public void RecordFailure(string partition) => _failures.RecordFailure(partition);
}
