namespace Neruba.Infrastructure.Tests.Support;

/// <summary>Real time plus an offset the test moves forward, so "later" needs no waiting and no race with the machine's load.</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
}
