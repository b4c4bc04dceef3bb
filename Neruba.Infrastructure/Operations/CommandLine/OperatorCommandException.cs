namespace Neruba.Infrastructure.Operations.CommandLine;

/// <summary>An operator command that cannot do what was asked, in one sentence: the command line prints it and exits non-zero.</summary>
public sealed class OperatorCommandException(string message) : Exception(message);
