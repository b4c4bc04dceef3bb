using Neruba.Console.Configuration;

namespace Neruba.Console.Tests.Http;

public class CommandLineTests
{
    [Fact]
    public void The_seed_demo_switch_is_taken_out_before_the_host_reads_arguments()
    {
        var parsed = NerubaCommandLine.Parse(["--urls", "http://127.0.0.1:5000", "--seed-demo"]);

        Assert.True(parsed.SeedDemo);
        Assert.Equal(["--urls", "http://127.0.0.1:5000"], parsed.HostArgs);
    }

    [Fact]
    public void Without_the_switch_nothing_is_seeded_on_request()
    {
        var parsed = NerubaCommandLine.Parse(["--Neruba:DataDirectory=/tmp/x"]);

        Assert.False(parsed.SeedDemo);
        Assert.Single(parsed.HostArgs);
    }
}
