using System.Diagnostics;

namespace Neruba.Benchmarks;

/// <summary>Samples the process's working set every 50 ms until disposed: the peak of one phase, where the OS only keeps the lifetime peak.</summary>
internal sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakMemorySampler()
    {
        Sample(null);
        _timer = new Timer(Sample, null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
    }

    public long PeakBytes => Interlocked.Read(ref _peak);

    private void Sample(object? state)
    {
        using var process = Process.GetCurrentProcess();
        var now = process.WorkingSet64;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Sample(null);
    }
}
