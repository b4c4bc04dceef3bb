namespace Neruba.Console.Components.Shared;

/// <summary>
/// Runs an action unless the previous run is still going. A disabled button is not enough: the browser
/// can send a second click before the re-render that disables it arrives, and both reach the circuit.
/// </summary>
public sealed class SingleFlight
{
    public bool Running { get; private set; }

    /// <summary>False when a run was already going and this one was dropped.</summary>
    public async Task<bool> RunAsync(Func<Task> action)
    {
        // Blazor Server handles one event at a time per circuit, so the check and the set cannot interleave.
        if (Running)
        {
            return false;
        }

        Running = true;
        try
        {
            await action();
            return true;
        }
        finally
        {
            Running = false;
        }
    }
}
