using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers.Notes;

/// <summary>
/// Editing a note writes a new note that replaces it; the old text stays in the history. Only the newest version can be
/// replaced, and only once (a unique index): of two agents editing at once, the second is told the note changed meanwhile.
/// </summary>
public sealed class ReplaceCustomerNote : UseCase<ReplaceCustomerNote.Request, CustomerNoteView>
{
    public const string ChangedMeanwhile =
        "Someone else edited this note meanwhile; your text was not saved. Reload the notes, read their version and edit that one.";

    public sealed record Request(Guid NoteId, string? Text);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers);

    public override ValidationErrors Validate(Request request) => CustomerNoteRules.Validate(request.Text);

    public override async Task<UseCaseResult<CustomerNoteView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var note = await context.Db.CustomerNotes.AsNoTracking()
            .FirstOrDefaultAsync(n => n.Id == request.NoteId && n.ProjectId == context.ProjectId, cancellationToken);
        if (note is null)
        {
            return UseCaseResult<CustomerNoteView>.NotFound("No such note in this project.");
        }

        // A lost race comes back here on fresh data (the runner retries unique-index conflicts) and finds the replacement.
        if (await context.Db.CustomerNotes.AnyAsync(n => n.ReplacesNoteId == note.Id, cancellationToken))
        {
            return UseCaseResult<CustomerNoteView>.Conflict(ChangedMeanwhile);
        }

        var text = request.Text!.Trim();
        if (string.Equals(text, note.Text, StringComparison.Ordinal))
        {
            return UseCaseResult<CustomerNoteView>.Invalid("text", "The note is unchanged; change the text before saving.");
        }

        var replacement = CustomerNoteRules.Create(context, note.CustomerId, text, note.Id);
        context.Db.CustomerNotes.Add(replacement);
        var view = CustomerNoteView.From(replacement);
        context.Audit("customer.note_replaced", "customer", note.CustomerId.ToString(), CustomerNoteView.From(note).ForAudit(), view.ForAudit());
        return UseCaseResult<CustomerNoteView>.Ok(view);
    }
}
