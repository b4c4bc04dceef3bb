using Microsoft.Extensions.Configuration;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Tests.Configuration;

public class SettingsTests
{
    [Fact]
    public void Embedded_mode_is_the_default_and_keeps_the_database_in_the_data_folder()
    {
        var settings = NerubaSettings.Load(Config(("Neruba:DataDirectory", "/tmp/neruba-x")));

        Assert.True(settings.IsEmbedded);
        Assert.Equal("embedded", settings.Mode);
        Assert.Contains(Path.Combine("/tmp/neruba-x", "neruba.db"), settings.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_mode_uses_the_configured_connection_string()
    {
        var settings = NerubaSettings.Load(Config(
            ("Neruba:Database:Provider", "SqlServer"),
            ("Neruba:Database:ConnectionString", "Server=db;Database=Neruba")));

        Assert.False(settings.IsEmbedded);
        Assert.Equal("Server=db;Database=Neruba", settings.ConnectionString);
    }

    [Fact]
    public void An_unknown_provider_stops_start_with_one_sentence_naming_the_key()
    {
        var error = Assert.Throws<NerubaConfigurationException>(() =>
            NerubaSettings.Load(Config(("Neruba:Database:Provider", "Postgres"))));

        Assert.Contains("Neruba:Database:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Postgres'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Server_mode_without_a_connection_string_stops_start_naming_the_key()
    {
        var error = Assert.Throws<NerubaConfigurationException>(() =>
            NerubaSettings.Load(Config(("Neruba:Database:Provider", "SqlServer"))));

        Assert.Contains("Neruba:Database:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
