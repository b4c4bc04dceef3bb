using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Search;

public enum SearchHitKind
{
    Customer,
    Invoice,
    CreditNote,
}

/// <summary>One thing the app bar's search found: what it is, its title, a line under it, and the page that opens it.</summary>
public sealed record SearchHit(SearchHitKind Kind, string Title, string Detail, string Link);

/// <summary>
/// The app bar's search: customers by name, email or external id, invoices and credit notes by number, in the current project
/// only. Done in the database with a few hits per kind, so it stays quick on every keystroke. Exact matches come first.
/// </summary>
public sealed class SearchEverything : UseCase<SearchEverything.Request, IReadOnlyList<SearchHit>>
{
    public const int MaxTermLength = 100;
    public const int PerKind = 5;

    public sealed record Request(string? Term);

    public override AccessRule Access { get; } = new(Permission.ViewConsole);

    public override ValidationErrors Validate(Request request) =>
        new ValidationErrors().Optional("term", request.Term, MaxTermLength, "The search");

    public override async Task<UseCaseResult<IReadOnlyList<SearchHit>>> HandleAsync(UseCaseContext context, Request request,
        CancellationToken cancellationToken)
    {
        var term = request.Term?.Trim() ?? "";
        if (term.Length == 0)
        {
            return UseCaseResult<IReadOnlyList<SearchHit>>.Ok([]);
        }

        var hits = new List<SearchHit>();
        var pattern = Paging.LikePattern(term);
        var customers = await context.Db.Customers.AsNoTracking()
            .Where(c => c.ProjectId == context.ProjectId && (EF.Functions.Like(c.Name, pattern, "\\") || EF.Functions.Like(c.ExternalId, pattern, "\\")
                || (c.Email != null && EF.Functions.Like(c.Email, pattern, "\\"))))
            .OrderBy(c => c.ExternalId == term ? 0 : 1).ThenBy(c => c.Name).Take(PerKind)
            .Select(c => new { c.Id, c.Name, c.ExternalId, c.Email })
            .ToListAsync(cancellationToken);
        hits.AddRange(customers.Select(c => new SearchHit(SearchHitKind.Customer, c.Name, c.Email is null ? c.ExternalId : $"{c.ExternalId} · {c.Email}",
            $"/customers/{c.Id}")));

        // Numbers are stored as sequences: "INV-000012", "inv-12", "12" and "CN-3" all name one.
        if (SequenceIn(term) is { } sequence)
        {
            var invoices = await (from i in context.Db.Invoices.AsNoTracking()
                                  join c in context.Db.Customers on i.CustomerId equals c.Id
                                  where i.ProjectId == context.ProjectId && i.Sequence == sequence
                                  orderby i.Sequence
                                  select new { i.Sequence, c.Name, i.Status }).Take(PerKind).ToListAsync(cancellationToken);
            var notes = await (from n in context.Db.CreditNotes.AsNoTracking()
                               join c in context.Db.Customers on n.CustomerId equals c.Id
                               where n.ProjectId == context.ProjectId && n.Sequence == sequence
                               orderby n.Sequence
                               select new { n.Sequence, c.Name, n.Status }).Take(PerKind).ToListAsync(cancellationToken);
            var wantsNotes = term.StartsWith("CN", StringComparison.OrdinalIgnoreCase);
            var invoiceHits = invoices.Select(i => InvoiceRecord.FormatNumber(i.Sequence))
                .Zip(invoices, (number, i) => new SearchHit(SearchHitKind.Invoice, number, $"{i.Name} · {i.Status}", $"/invoices/{number}"));
            var noteHits = notes.Select(n => CreditNoteRecord.FormatNumber(n.Sequence))
                .Zip(notes, (number, n) => new SearchHit(SearchHitKind.CreditNote, number, $"{n.Name} · {n.Status}", $"/credit-notes/{number}"));
            if (wantsNotes)
            {
                hits.InsertRange(0, noteHits);
            }
            else if (term.StartsWith("INV", StringComparison.OrdinalIgnoreCase))
            {
                hits.InsertRange(0, invoiceHits);
            }
            else
            {
                hits.AddRange(invoiceHits);
                hits.AddRange(noteHits);
            }
        }

        return UseCaseResult<IReadOnlyList<SearchHit>>.Ok(hits);
    }

    /// <summary>The sequence a number names: digits, after an optional INV- or CN- prefix.</summary>
    private static long? SequenceIn(string term)
    {
        var digits = term;
        foreach (var prefix in new[] { "INV-", "INV", "CN-", "CN" })
        {
            if (digits.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[prefix.Length..];
                break;
            }
        }

        return digits.Length is > 0 and <= 18 && digits.All(char.IsAsciiDigit)
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
    }
}
