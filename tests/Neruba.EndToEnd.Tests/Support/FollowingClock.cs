namespace Neruba.EndToEnd.Tests.Support;

/// <summary>
/// A clock for the Stripe fake that keeps the console's time (shifted by NERUBA_TEST_CLOCK when set), so what the fake dates (balance
/// transactions, due dates) falls in the windows the console works with. The fake starts before the console; it follows it once known.
/// </summary>
public sealed class FollowingClock : TimeProvider
{
    private ConsoleProcess? _console;

    public void Follow(ConsoleProcess console) => _console = console;

    public override DateTimeOffset GetUtcNow() => _console?.Now ?? base.GetUtcNow();
}
