using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Access.ApiKeys;

/// <summary>An admin creates an API key; the secret is in the result once and is never stored.</summary>
public sealed class CreateApiKey : UseCase<CreateApiKey.Request, CreateApiKey.Result>
{
    public sealed record Request(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

    public sealed record Result(ApiKeyView Key, string Secret);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request)
    {
        var errors = new ValidationErrors().Required("name", request.Name, ApiKey.MaxNameLength, "Key name");
        if (request.Scopes is not { Count: > 0 })
        {
            return errors.Add("scopes", "Choose at least one scope.");
        }

        foreach (var unknown in request.Scopes.Where(s => !ApiScopes.IsKnown(s)))
        {
            errors.Add("scopes", $"'{unknown}' is not a scope; use {string.Join(", ", ApiScopes.All)}.");
        }

        return errors;
    }

    public override Task<UseCaseResult<Result>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        if (request.ExpiresAt is { } expiry && expiry <= context.Now)
        {
            return Task.FromResult(UseCaseResult<Result>.Invalid("expiresAt", "The expiry date must be in the future."));
        }

        var secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey(Guid.NewGuid(), context.ProjectId, request.Name!.Trim(), ApiKeySecrets.PrefixOf(secret), ApiKeySecrets.Hash(secret),
            request.Scopes!, context.Now, context.Actor.Id, context.Actor.Name, request.ExpiresAt);
        context.Db.ApiKeys.Add(key);
        var view = ApiKeyView.From(key);
        context.Audit("api_key.created", "api_key", key.Id.ToString(), null, view.ForAudit());
        return Task.FromResult(UseCaseResult<Result>.Ok(new Result(view, secret)));
    }
}

/// <summary>An admin revokes a key; the next request made with it is refused.</summary>
public sealed class RevokeApiKey : UseCase<RevokeApiKey.Request, ApiKeyView>
{
    public sealed record Request(Guid KeyId, string? Reason);

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override ValidationErrors Validate(Request request) => new ValidationErrors().Optional("reason", request.Reason, 500, "Reason", multiline: true);

    public override async Task<UseCaseResult<ApiKeyView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var key = await context.Db.ApiKeys.FirstOrDefaultAsync(k => k.Id == request.KeyId && k.ProjectId == context.ProjectId, cancellationToken);
        if (key is null)
        {
            return UseCaseResult<ApiKeyView>.NotFound("That API key does not exist in this project.");
        }

        if (key.IsRevoked)
        {
            return UseCaseResult<ApiKeyView>.Conflict($"The key {key.Prefix}… was already revoked.");
        }

        var before = ApiKeyView.From(key).ForAudit();
        key.Revoke(context.Actor.Name, context.Now);
        var view = ApiKeyView.From(key);
        context.Audit("api_key.revoked", "api_key", key.Id.ToString(), before, view.ForAudit(), request.Reason?.Trim());
        return UseCaseResult<ApiKeyView>.Ok(view);
    }
}

/// <summary>The current project's keys, newest first, revoked ones included.</summary>
public sealed class ListApiKeys : UseCase<ListApiKeys.Request, IReadOnlyList<ApiKeyView>>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override async Task<UseCaseResult<IReadOnlyList<ApiKeyView>>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var keys = await context.Db.ApiKeys.AsNoTracking().Where(k => k.ProjectId == context.ProjectId).ToListAsync(cancellationToken);
        return UseCaseResult<IReadOnlyList<ApiKeyView>>.Ok(keys.OrderByDescending(k => k.CreatedAt).Select(ApiKeyView.From).ToList());
    }
}
