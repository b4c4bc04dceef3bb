using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Console.Access;

/// <summary>
/// X-Forwarded-For / X-Forwarded-Proto are believed only from the proxies listed in
/// <c>Neruba:ForwardedHeaders:KnownProxies</c>. With none listed (the default) they are ignored, so a client
/// cannot choose its own address (and so its rate-limit partition) by sending the header itself.
/// </summary>
public static class TrustedProxies
{
    public const string SettingKey = "Neruba:ForwardedHeaders:KnownProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only the configured proxies count here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in Read(configuration))
            {
                options.KnownProxies.Add(proxy);
            }
        });
        return services;
    }

    /// <summary>
    /// Adds the forwarded-headers middleware only when proxies are configured: with empty lists the framework
    /// would believe the headers from anyone.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    private static IEnumerable<IPAddress> Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingKey);
        // A list (KnownProxies:0, KnownProxies:1, …) or one comma-separated value.
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var value in values)
        {
            if (!IPAddress.TryParse(value, out var address))
            {
                throw new NerubaConfigurationException($"{SettingKey} lists '{value}', which is not an IP address.");
            }

            yield return address;
        }
    }
}
