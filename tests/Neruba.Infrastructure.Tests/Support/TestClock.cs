using Neruba.Infrastructure.Configuration;
using Neruba.Tests.Shared;

namespace Neruba.Infrastructure.Tests.Support;

/// <summary>
/// Real time (or, with NERUBA_TEST_CLOCK, the harness's chosen day advancing in real time) plus an offset the test
/// moves forward, so "later" needs no waiting and no race with the machine's load.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly TimeProvider _base = HarnessClock.Start is { } start ? new ShiftedClock(start, System) : System;
    private TimeSpan _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public override DateTimeOffset GetUtcNow() => _base.GetUtcNow() + _offset;
}
