namespace Neruba.Infrastructure.Configuration;

/// <summary>Bad configuration found at start. The message is one sentence that names the key to fix.</summary>
public sealed class NerubaConfigurationException(string message) : Exception(message);
