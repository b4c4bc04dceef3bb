using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure.Ledger.Integrity;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Ledger.Integrity;

/// <summary>For any test that moved money: the integrity check finds nothing wrong with the ledger it left.</summary>
internal static class LedgerIntegrityAssert
{
    public static async Task PassesAsync(UseCaseHarness harness)
    {
        var result = await harness.Services.GetRequiredService<LedgerIntegrity>()
            .CheckProjectAsync(harness.ProjectId, LedgerIntegrityTriggers.CommandLine, "test", default);
        Assert.True(result.Passed, result.Record.Error + string.Join(Environment.NewLine, result.Problems.Select(p => p.Words)));
    }
}
