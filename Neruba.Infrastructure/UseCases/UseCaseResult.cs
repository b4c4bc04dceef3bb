namespace Neruba.Infrastructure.UseCases;

public enum UseCaseStatus
{
    Succeeded,
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>The database refused the change for a reason that is not a conflict: a fault, logged under the correlation id.</summary>
    Failed,
}

/// <summary>
/// What a use case did. Failures carry words for a person (<see cref="Message"/>) and, for bad input,
/// the message per field, so the console and the API show the same explanation.
/// </summary>
public sealed record UseCaseResult<T>(UseCaseStatus Status, T? Value, string? Message, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public bool Succeeded => Status == UseCaseStatus.Succeeded;

    public static UseCaseResult<T> Ok(T value) => new(UseCaseStatus.Succeeded, value, null, NoErrors);

    public static UseCaseResult<T> Invalid(ValidationErrors errors) =>
        new(UseCaseStatus.Invalid, default, errors.Summary, errors.ToDictionary());

    public static UseCaseResult<T> Invalid(string field, string message) => Invalid(new ValidationErrors().Add(field, message));

    public static UseCaseResult<T> NotFound(string message) => new(UseCaseStatus.NotFound, default, message, NoErrors);

    public static UseCaseResult<T> Conflict(string message) => new(UseCaseStatus.Conflict, default, message, NoErrors);

    public static UseCaseResult<T> Forbidden(string message) => new(UseCaseStatus.Forbidden, default, message, NoErrors);

    public static UseCaseResult<T> Failed(string message) => new(UseCaseStatus.Failed, default, message, NoErrors);

    /// <summary>Carries a failure over to a use case result of another type.</summary>
    public UseCaseResult<TOther> As<TOther>() => new(Status, default, Message, Errors);
}
