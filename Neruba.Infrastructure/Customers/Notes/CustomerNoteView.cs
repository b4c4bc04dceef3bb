using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers.Notes;

/// <summary>One version of a support note, as the customer page shows it.</summary>
public sealed record CustomerNoteView(Guid Id, Guid CustomerId, string Text, DateTimeOffset CreatedAt, string AuthorName, Guid? ReplacesNoteId)
{
    public static CustomerNoteView From(CustomerNoteRecord note) =>
        new(note.Id, note.CustomerId, note.Text, note.CreatedAt, note.AuthorName, note.ReplacesNoteId);

    public object ForAudit() => new { Id, CustomerId, Text, ReplacesNoteId };
}

/// <summary>A note as it reads now (the newest of its chain) and the versions it replaced, newest first.</summary>
public sealed record CustomerNoteChain(CustomerNoteView Current, IReadOnlyList<CustomerNoteView> History)
{
    public bool Edited => History.Count > 0;

    /// <summary>When the chain was first written: the oldest version's time.</summary>
    public DateTimeOffset FirstWrittenAt => History.Count > 0 ? History[^1].CreatedAt : Current.CreatedAt;
}

internal static class CustomerNoteRules
{
    public static ValidationErrors Validate(string? text) =>
        new ValidationErrors().Required("text", text, CustomerNoteRecord.MaxTextLength, "The note", multiline: true);

    public static CustomerNoteRecord Create(UseCaseContext context, Guid customerId, string text, Guid? replaces) => new()
    {
        Id = Guid.NewGuid(),
        ProjectId = context.ProjectId,
        CustomerId = customerId,
        Text = text.Trim(),
        CreatedAt = context.Now,
        AuthorId = context.Actor.Id,
        AuthorName = context.Actor.Name,
        ReplacesNoteId = replaces,
    };
}
