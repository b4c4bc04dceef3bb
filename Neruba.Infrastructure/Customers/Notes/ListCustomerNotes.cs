using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers.Notes;

/// <summary>A customer's notes as they read now, newest first, each with the versions it replaced.</summary>
public sealed class ListCustomerNotes : UseCase<ListCustomerNotes.Request, IReadOnlyList<CustomerNoteChain>>
{
    /// <summary>Versions read at most: a customer with more notes than this shows the newest ones.</summary>
    public const int MaxVersions = 1000;

    public sealed record Request(string? CustomerIdOrExternalId);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override async Task<UseCaseResult<IReadOnlyList<CustomerNoteChain>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.CustomerIdOrExternalId, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<IReadOnlyList<CustomerNoteChain>>.NotFound($"No customer '{request.CustomerIdOrExternalId}' in this project.");
        }

        var versions = await context.Db.CustomerNotes.AsNoTracking()
            .Where(n => n.ProjectId == context.ProjectId && n.CustomerId == customer.Id)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(MaxVersions)
            .ToListAsync(cancellationToken);
        return UseCaseResult<IReadOnlyList<CustomerNoteChain>>.Ok(Chains(versions.Select(CustomerNoteView.From).ToList()));
    }

    /// <summary>Follows each chain from its newest version (one nothing replaces) back through the notes it replaced.</summary>
    public static IReadOnlyList<CustomerNoteChain> Chains(IReadOnlyList<CustomerNoteView> versions)
    {
        var byId = versions.ToDictionary(v => v.Id);
        var replaced = versions.Where(v => v.ReplacesNoteId is not null).Select(v => v.ReplacesNoteId!.Value).ToHashSet();
        var chains = new List<CustomerNoteChain>();
        foreach (var current in versions.Where(v => !replaced.Contains(v.Id)))
        {
            var history = new List<CustomerNoteView>();
            for (var id = current.ReplacesNoteId; id is { } previous && byId.TryGetValue(previous, out var older); id = older.ReplacesNoteId)
            {
                history.Add(older);
            }

            chains.Add(new CustomerNoteChain(current, history));
        }

        return chains;
    }
}
