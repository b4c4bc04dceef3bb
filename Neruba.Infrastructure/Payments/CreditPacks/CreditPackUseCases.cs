using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.CreditPacks;

/// <summary>Finance defines a credit pack customers can buy through Stripe Checkout. Packs can be defined before Stripe is configured.</summary>
public sealed class CreateCreditPack : UseCase<CreditPackInput, CreditPackView>
{
    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(CreditPackInput request) => CreditPackRules.Validate(request);

    public override async Task<UseCaseResult<CreditPackView>> HandleAsync(UseCaseContext context, CreditPackInput request, CancellationToken cancellationToken)
    {
        if (await CreditPackRules.NameTakenAsync(context, request.Name!, null, cancellationToken) is { } taken)
        {
            return UseCaseResult<CreditPackView>.Invalid("name", taken);
        }

        var pack = new CreditPackRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CreatedAt = context.Now, CreatedByName = context.Actor.Name, Version = 1,
        };
        CreditPackRules.Apply(pack, request);
        context.Db.CreditPacks.Add(pack);
        context.Audit("credit_pack.created", "credit_pack", pack.Id.ToString(), null, CreditPackView.ForAudit(pack));
        return UseCaseResult<CreditPackView>.Ok(CreditPackView.From(pack));
    }
}

/// <summary>Finance changes a pack's terms. Checkout sessions already created keep the terms they were created with.</summary>
public sealed class ChangeCreditPack : UseCase<ChangeCreditPack.Request, CreditPackView>
{
    public sealed record Request(Guid? Id, CreditPackInput? Pack, long? Version);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request) => CreditPackRules.Validate(request.Pack);

    public override async Task<UseCaseResult<CreditPackView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var pack = await CreditPackRules.FindAsync(context, request.Id, cancellationToken);
        if (pack is null)
        {
            return UseCaseResult<CreditPackView>.NotFound(CreditPackRules.NotFound(request.Id));
        }

        if (request.Version is { } version && version != pack.Version)
        {
            return UseCaseResult<CreditPackView>.Conflict($"'{pack.Name}' was changed by someone else after you opened it. Nothing was saved; reload and try again.");
        }

        if (await CreditPackRules.NameTakenAsync(context, request.Pack!.Name!, pack.Id, cancellationToken) is { } taken)
        {
            return UseCaseResult<CreditPackView>.Invalid("name", taken);
        }

        var before = CreditPackView.ForAudit(pack);
        CreditPackRules.Apply(pack, request.Pack);
        if (context.Db.Entry(pack).State == EntityState.Unchanged)
        {
            return UseCaseResult<CreditPackView>.Ok(CreditPackView.From(pack));
        }

        pack.Version++;
        context.Audit("credit_pack.changed", "credit_pack", pack.Id.ToString(), before, CreditPackView.ForAudit(pack));
        return UseCaseResult<CreditPackView>.Ok(CreditPackView.From(pack));
    }
}

/// <summary>Finance archives a pack (no new checkout links for it) or restores it. Packs are never deleted: purchases refer to them.</summary>
public sealed class ArchiveCreditPack : UseCase<ArchiveCreditPack.Request, CreditPackView>
{
    public sealed record Request(Guid? Id, bool Archived = true);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override async Task<UseCaseResult<CreditPackView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var pack = await CreditPackRules.FindAsync(context, request.Id, cancellationToken);
        if (pack is null)
        {
            return UseCaseResult<CreditPackView>.NotFound(CreditPackRules.NotFound(request.Id));
        }

        if (pack.Archived == request.Archived)
        {
            return UseCaseResult<CreditPackView>.Conflict(request.Archived ? $"'{pack.Name}' is already archived." : $"'{pack.Name}' is not archived.");
        }

        var before = CreditPackView.ForAudit(pack);
        pack.Archived = request.Archived;
        pack.Version++;
        context.Audit(request.Archived ? "credit_pack.archived" : "credit_pack.restored", "credit_pack", pack.Id.ToString(), before, CreditPackView.ForAudit(pack));
        return UseCaseResult<CreditPackView>.Ok(CreditPackView.From(pack));
    }
}

/// <summary>Restores an archived pack: the same as <see cref="ArchiveCreditPack"/> with <c>Archived = false</c>, under its own name in the audit log.</summary>
public sealed class RestoreCreditPack : UseCase<RestoreCreditPack.Request, CreditPackView>
{
    public sealed record Request(Guid? Id);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override Task<UseCaseResult<CreditPackView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken) =>
        new ArchiveCreditPack().HandleAsync(context, new ArchiveCreditPack.Request(request.Id, Archived: false), cancellationToken);
}

public sealed record CreditPackList(IReadOnlyList<CreditPackView> Packs, bool StripeConfigured);

/// <summary>The project's credit packs (archived ones on request), cheapest first, and whether Stripe is configured to sell them.</summary>
public sealed class ListCreditPacks : UseCase<ListCreditPacks.Request, CreditPackList>
{
    public sealed record Request(bool IncludeArchived = false);

    public override AccessRule Access { get; } = new(Permission.ViewConsole, ApiScopes.CreditsRead);

    public override async Task<UseCaseResult<CreditPackList>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var packs = await context.Db.CreditPacks.AsNoTracking()
            .Where(p => p.ProjectId == context.ProjectId && (request.IncludeArchived || !p.Archived))
            .ToListAsync(cancellationToken);
        var account = await context.Db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        var views = packs.OrderBy(p => p.Archived).ThenBy(p => p.Currency, StringComparer.Ordinal).ThenBy(p => p.Price).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(CreditPackView.From).ToList();
        return UseCaseResult<CreditPackList>.Ok(new CreditPackList(views, account?.IsConfigured == true));
    }
}
