using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger;

/// <summary>
/// One wallet operation waiting for its group: it runs against the group's state and yields the caller's result.
/// It runs again from scratch whenever its group starts again, so it must only read and add through the group.
/// </summary>
internal sealed class WalletOperation(Guid projectId, string? idempotencyKey, Func<WalletGroup, CancellationToken, Task<object>> apply)
{
    private readonly TaskCompletionSource<object> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid ProjectId => projectId;

    /// <summary>Null for operations that key each of their entries themselves (expiry).</summary>
    public string? IdempotencyKey => idempotencyKey;

    public Task<object> Done => _done.Task;

    public Task<object> ApplyAsync(WalletGroup group, CancellationToken cancellationToken) => apply(group, cancellationToken);

    public void Complete(object result) => _done.TrySetResult(result);

    public void Fail(Exception exception) => _done.TrySetException(exception);
}

/// <summary>
/// Group commit for the ledger: one loop takes every wallet operation waiting and applies them in order in ONE transaction,
/// each seeing the balances the earlier ones left, then commits once (one fsync for the group, not one per entry).
/// An operation that fails is taken out and the rest start again without it; a group the database refuses is stored
/// one operation at a time, so one bad operation never fails the others. Wallet versions are still bumped, so writers
/// outside this loop (other code paths, a second node on SQL Server) cannot commit on the same stale balances.
/// </summary>
internal sealed partial class WalletGroupCommit : IAsyncDisposable
{
    public const int MaxOperationsPerCommit = 1_000;

    /// <summary>Lost races a whole group retries before each of its operations is tried alone.</summary>
    private const int GroupAttempts = 3;

    private readonly Channel<WalletOperation> _queue = Channel.CreateUnbounded<WalletOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<NerubaDbContext> _dbFactory;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _retries;
    private long _commits;

    public WalletGroupCommit(IDbContextFactory<NerubaDbContext> dbFactory, ILogger logger)
    {
        _dbFactory = dbFactory;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public long Retries => Interlocked.Read(ref _retries);

    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues the operation; a caller that stops waiting does not stop it (a repeat with its key returns its entry).</summary>
    public async Task<T> RunAsync<T>(WalletOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new InvalidOperationException("The wallet writer is shutting down.");
        }

        return (T)await operation.Done.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var group = new List<WalletOperation>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxOperationsPerCommit && _queue.Reader.TryRead(out var operation))
            {
                group.Add(operation);
            }

            await StoreGroupAsync(group);
        }
    }

    /// <summary>Stores the operations in one transaction, or as many as can be: every operation ends completed or failed.</summary>
    internal async Task StoreGroupAsync(IReadOnlyList<WalletOperation> group)
    {
        var pending = group.ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            try
            {
                var results = await CommitAsync(pending);
                Interlocked.Increment(ref _commits);
                for (var i = 0; i < pending.Count; i++)
                {
                    pending[i].Complete(results[i]);
                }

                return;
            }
            catch (OperationRefusedException refused)
            {
                // A money rule refused this operation (or it could not run): it fails alone, the rest start again without it.
                refused.Operation.Fail(refused.InnerException!);
                pending.Remove(refused.Operation);
            }
            catch (Exception exception) when (attempt < (pending.Count > 1 ? GroupAttempts : WalletWriter.MaxAttempts) && WalletWriter.IsLostRace(exception))
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)));
            }
#pragma warning disable CA1031 // Every waiting caller must hear about the failure; the loop must survive it.
            catch (Exception exception) when (pending.Count > 1)
            {
                LogGroupSplit(exception, pending.Count);
                foreach (var operation in pending)
                {
                    await StoreGroupAsync([operation]);
                }

                return;
            }
            catch (Exception exception)
            {
                pending[0].Fail(exception);
                return;
            }
#pragma warning restore CA1031
        }
    }

    private async Task<List<object>> CommitAsync(List<WalletOperation> operations)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var group = new WalletGroup(db);
            await group.LoadKeysAsync(operations.Where(o => o.IdempotencyKey is not null).Select(o => (o.ProjectId, o.IdempotencyKey!)), default);
            var results = new List<object>(operations.Count);
            foreach (var operation in operations)
            {
                try
                {
                    results.Add(await operation.ApplyAsync(group, default));
                }
                catch (Exception exception) when (!WalletWriter.IsLostRace(exception))
                {
                    throw new OperationRefusedException(operation, exception);
                }
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return results;
        });
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing a group of {Operations} wallet operations together failed; storing each on its own.")]
    private partial void LogGroupSplit(Exception exception, int operations);

    private sealed class OperationRefusedException(WalletOperation operation, Exception inner) : Exception(inner.Message, inner)
    {
        public WalletOperation Operation { get; } = operation;
    }
}
