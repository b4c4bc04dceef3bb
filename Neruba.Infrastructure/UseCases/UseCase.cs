using Neruba.Domain.Access;

namespace Neruba.Infrastructure.UseCases;

/// <summary>Who may run a use case: people by permission, API keys by scope (none: not open to keys).</summary>
public sealed record AccessRule(Permission Permission, string? ApiScope = null);

/// <summary>Marks every use case, so the access-matrix test can find them all.</summary>
public interface IUseCase
{
    AccessRule Access { get; }

    /// <summary>The operation's name in audit records and Idempotency-Keys.</summary>
    string Name { get; }
}

/// <summary>
/// One thing a person or an integration can do: its access rule, its validation and its handler in one
/// place. <see cref="UseCaseRunner"/> runs the access check, the validation and the save (with the audit
/// records the handler wrote) around it, so no use case repeats them.
/// </summary>
public abstract class UseCase<TRequest, TResult> : IUseCase
{
    public abstract AccessRule Access { get; }

    public virtual string Name => GetType().Name;

    /// <summary>Checks the request alone, without the database. Must cope with any field being null.</summary>
    public virtual ValidationErrors Validate(TRequest request) => ValidationErrors.None;

    /// <summary>Does the work. Changes are saved by the runner only when the result is a success.</summary>
    public abstract Task<UseCaseResult<TResult>> HandleAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);
}
