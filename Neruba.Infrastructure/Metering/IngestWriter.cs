using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// One writer for all ingest requests (group commit): requests queue their batches, and the writer stores
/// whatever is waiting in one transaction. Many small requests then cost one commit, not one each. A
/// request's events are always in a single transaction, so a fault stores none of them.
/// </summary>
public sealed partial class IngestWriter : IAsyncDisposable
{
    public const int MaxEventsPerCommit = 20_000;

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly UsageEventStore _store;
    private readonly ILogger<IngestWriter> _logger;
    private readonly Task _loop;

    internal IngestWriter(UsageEventStore store, ILogger<IngestWriter> logger)
    {
        _store = store;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    private sealed record Work(IngestBatch Batch, TaskCompletionSource<IReadOnlyList<IngestItemResult>> Done);

    public Task<IReadOnlyList<IngestItemResult>> WriteAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Events.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<IngestItemResult>>([]);
        }

        var done = new TaskCompletionSource<IReadOnlyList<IngestItemResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Work(batch, done)))
        {
            throw new InvalidOperationException("The ingest writer is shutting down.");
        }

        // The caller may stop waiting; the batch is still written (or not) as a whole.
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var group = new List<Work>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var work))
            {
                group.Add(work);
                events += work.Batch.Events.Count;
            }

            try
            {
                var results = await _store.WriteAsync(group.Select(w => w.Batch).ToList(), CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(results[i]);
                }
            }
#pragma warning disable CA1031 // Every waiting request must hear about the failure; the loop must survive it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogGroupFailed(exception, group.Count, events);
                foreach (var work in group)
                {
                    work.Done.TrySetException(new IngestFailedException("The events could not be stored; none of them were. Send the same request again.", exception));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a group of {Requests} ingest request(s) with {Events} event(s) failed; nothing was stored.")]
    private partial void LogGroupFailed(Exception exception, int requests, int events);
}

/// <summary>A server fault while storing events: nothing of the request was stored, so a retry is safe.</summary>
public sealed class IngestFailedException(string message, Exception inner) : Exception(message, inner);
