using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// One writer for all ingest requests (group commit): requests queue their batches, and the writer stores
/// whatever is waiting in one transaction. Many small requests then cost one commit, not one each. A
/// request's events are always in a single transaction, so a fault stores none of them.
/// The queue holds at most <see cref="Capacity"/> events (those being stored count until they are): beyond
/// that an API request is refused at once (<see cref="IngestQueueFullException"/>, a 503 with Retry-After)
/// instead of memory growing while the database is slow, and an import waits for room.
/// </summary>
public sealed partial class IngestWriter : IAsyncDisposable
{
    public const int MaxEventsPerCommit = 20_000;

    public const string CapacitySettingKey = "Neruba:Ingest:QueueCapacity";

    /// <summary>About fifty full requests: a few seconds of a slow disk's work, tens of MB at most.</summary>
    public const int DefaultCapacity = 50_000;

    /// <summary>What a refused client is told to wait: a group commit takes well under a second when the database is well.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly UsageEventStore _store;
    private readonly ILogger<IngestWriter> _logger;
    private readonly Task _loop;
    private readonly Lock _room = new();
    private int _queuedEvents;
    private TaskCompletionSource _roomFreed = NewSignal();

    internal IngestWriter(UsageEventStore store, ILogger<IngestWriter> logger, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _store = store;
        _logger = logger;
        Capacity = capacity;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Events that may wait in the queue or be in the commit under way.</summary>
    public int Capacity { get; }

    internal sealed record Work(IngestBatch Batch, TaskCompletionSource<IReadOnlyList<IngestItemResult>> Done)
    {
        public static Work For(IngestBatch batch) => new(batch, new TaskCompletionSource<IReadOnlyList<IngestItemResult>>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>
    /// Stores the batch with whatever else is waiting. When the queue is full: refuses with <see cref="IngestQueueFullException"/>,
    /// or with <paramref name="waitForRoom"/> (imports, which have no client to retry) waits until there is room.
    /// </summary>
    public async Task<IReadOnlyList<IngestItemResult>> WriteAsync(IngestBatch batch, bool waitForRoom, CancellationToken cancellationToken)
    {
        if (batch.Events.Count == 0)
        {
            return [];
        }

        var work = Work.For(batch);
        while (!TryEnqueue(work, out var roomFreed))
        {
            if (!waitForRoom)
            {
                throw new IngestQueueFullException(RetryAfter);
            }

            await roomFreed.WaitAsync(cancellationToken);
        }

        // The caller may stop waiting; the batch is still written (or not) as a whole.
        return await work.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues the work if its events fit (an empty queue takes any batch, however large); else returns the signal of the next freed room.</summary>
    private bool TryEnqueue(Work work, out Task roomFreed)
    {
        lock (_room)
        {
            roomFreed = _roomFreed.Task;
            var events = work.Batch.Events.Count;
            if (_queuedEvents > 0 && _queuedEvents + events > Capacity)
            {
                return false;
            }

            if (!_queue.Writer.TryWrite(work))
            {
                throw new InvalidOperationException("The ingest writer is shutting down.");
            }

            _queuedEvents += events;
            return true;
        }
    }

    private void Release(int events)
    {
        TaskCompletionSource freed;
        lock (_room)
        {
            _queuedEvents -= events;
            freed = _roomFreed;
            _roomFreed = NewSignal();
        }

        freed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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

            await StoreGroupAsync(group);
            Release(events);
        }
    }

    /// <summary>
    /// Stores the group in one transaction. If that fails and the group holds several requests, each is stored again on
    /// its own, so a batch the database refuses fails only its own request, not the others that shared its commit.
    /// </summary>
    internal async Task StoreGroupAsync(IReadOnlyList<Work> group)
    {
        try
        {
            var results = await _store.WriteAsync(group.Select(w => w.Batch).ToList(), CancellationToken.None);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(results[i]);
            }

            return;
        }
#pragma warning disable CA1031 // Every waiting request must hear about the failure; the loop must survive it.
        catch (Exception exception) when (group.Count > 1)
        {
            LogGroupRetried(exception, group.Count);
        }
        catch (Exception exception)
        {
            Fail(group[0], exception);
            return;
        }

        foreach (var work in group)
        {
            try
            {
                work.Done.TrySetResult((await _store.WriteAsync([work.Batch], CancellationToken.None))[0]);
            }
            catch (Exception exception)
            {
                Fail(work, exception);
            }
        }
#pragma warning restore CA1031
    }

    private void Fail(Work work, Exception exception)
    {
        LogBatchFailed(exception, work.Batch.ProjectId, work.Batch.Events.Count);
        work.Done.TrySetException(new IngestFailedException("The events could not be stored; none of them were. Send the same request again.", exception));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing a group of {Requests} ingest requests together failed; storing each on its own.")]
    private partial void LogGroupRetried(Exception exception, int requests);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing an ingest request of project {ProjectId} with {Events} event(s) failed; none of them was stored.")]
    private partial void LogBatchFailed(Exception exception, Guid projectId, int events);
}

/// <summary>A server fault while storing events: nothing of the request was stored, so a retry is safe.</summary>
public sealed class IngestFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>The ingest queue is full: nothing of the request was queued; send it again after <see cref="RetryAfter"/>.</summary>
public sealed class IngestQueueFullException(TimeSpan retryAfter)
    : Exception($"Too many events are waiting to be stored; nothing of this request was. Send it again in {retryAfter.TotalSeconds:0} second(s).")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
