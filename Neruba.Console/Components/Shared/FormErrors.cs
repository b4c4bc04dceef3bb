using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Components.Shared;

/// <summary>Holds a failed use case's message and per-field errors so a form can show them beside each field.</summary>
public sealed class FormErrors
{
    private IReadOnlyDictionary<string, string[]> _fields = new Dictionary<string, string[]>();

    public string? Message { get; private set; }

    public bool Has(string field) => _fields.ContainsKey(field);

    public string? For(string field) => _fields.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public void Clear()
    {
        Message = null;
        _fields = new Dictionary<string, string[]>();
    }

    /// <summary>Takes the errors of a failed result; returns true when the result succeeded.</summary>
    public bool From<T>(UseCaseResult<T> result)
    {
        if (result.Succeeded)
        {
            Clear();
            return true;
        }

        Message = result.Status == UseCaseStatus.Invalid ? "Please correct the highlighted fields. " + result.Message : result.Message;
        _fields = result.Errors;
        return false;
    }
}
