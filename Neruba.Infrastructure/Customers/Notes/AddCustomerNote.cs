using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Customers.Notes;

/// <summary>A support agent writes a note on a customer: who, when and what, kept for good.</summary>
public sealed class AddCustomerNote : UseCase<AddCustomerNote.Request, CustomerNoteView>
{
    public sealed record Request(string? CustomerIdOrExternalId, string? Text);

    public override AccessRule Access { get; } = new(Permission.ManageCustomers);

    public override ValidationErrors Validate(Request request) => CustomerNoteRules.Validate(request.Text);

    public override async Task<UseCaseResult<CustomerNoteView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var customer = await CustomerRules.FindAsync(context, request.CustomerIdOrExternalId, cancellationToken);
        if (customer is null)
        {
            return UseCaseResult<CustomerNoteView>.NotFound($"No customer '{request.CustomerIdOrExternalId}' in this project.");
        }

        var note = CustomerNoteRules.Create(context, customer.Id, request.Text!, null);
        context.Db.CustomerNotes.Add(note);
        var view = CustomerNoteView.From(note);
        context.Audit("customer.note_added", "customer", customer.Id.ToString(), null, view.ForAudit());
        return UseCaseResult<CustomerNoteView>.Ok(view);
    }
}
