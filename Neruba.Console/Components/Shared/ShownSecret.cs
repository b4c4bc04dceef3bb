namespace Neruba.Console.Components.Shared;

/// <summary>A secret shown once (a one-time password, an API key) with what it belongs to.</summary>
public sealed record ShownSecret(string Label, string Value)
{
    public Guid Id { get; } = Guid.NewGuid();
}
