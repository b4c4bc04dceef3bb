using Neruba.Infrastructure.Billing.Corrections;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Components.Pages.Invoices;

/// <summary>Checks the correction dialogs run before asking for a confirmation: the same rules the use cases run again on the server.</summary>
public static class InvoiceCorrectionForms
{
    public static UseCaseResult<bool> ReasonErrors(string? reason) =>
        Outcome(new ValidationErrors().Required("reason", reason, CreditNoteRecord.MaxNoteLength, "A reason", multiline: true));

    /// <summary>A use case's own request validation as a result a form can show.</summary>
    public static UseCaseResult<bool> Outcome(ValidationErrors errors) => errors.IsEmpty ? UseCaseResult<bool>.Ok(true) : UseCaseResult<bool>.Invalid(errors);

    /// <summary>An empty field is no input at all.</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
