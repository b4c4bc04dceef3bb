using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Tests.Support;

/// <summary>
/// The real console on Kestrel (a loopback port, real HTTP) in embedded mode over a fresh data folder.
/// Pass an existing folder to start again on the same database.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@example.test";
    public const string AdminPassword = "Correct-Horse-42!";
    public const string MemberPassword = "Member-Password-42!";

    private readonly bool _ownsFolder;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _testServices;

    /// <param name="environment">The hosting environment; Production unless a test needs another.</param>
    /// <param name="testServices">Test-only services (e.g. an <see cref="Microsoft.AspNetCore.Hosting.IStartupFilter"/>), never in the product.</param>
    public ConsoleAppFactory(string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null,
        string environment = "Production", Action<IServiceCollection>? testServices = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        _environment = environment;
        _testServices = testServices;
        _ownsFolder = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "neruba-console-tests", Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    /// <summary>Where Kestrel listens, once started (a free loopback port).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public string DatabaseFile => Path.Combine(DataDirectory, "neruba.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }

        builder.UseSetting("Neruba:DataDirectory", DataDirectory);
        builder.UseSetting("Neruba:Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Neruba:Bootstrap:AdminPassword", AdminPassword);
        // Console tests count what they create; the demo billing data (on in appsettings.json) would be in the way.
        builder.UseSetting("Neruba:DemoBilling", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public HttpClient CreateBrowserClient(CookieContainer? cookies = null)
    {
#pragma warning disable CA2000 // The client owns and disposes its handler.
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = ServerAddress };
#pragma warning restore CA2000
    }

    /// <summary>A browser-like client signed in as a new person with the given role in the demo project.</summary>
    public async Task<HttpClient> SignedInMemberAsync(string email, ProjectRole? role)
    {
        await CreateMemberAsync(email, role);
        var client = CreateBrowserClient();
        await client.SignInAsync(email, MemberPassword);
        return client;
    }

    /// <summary>The demo project's id.</summary>
    public async Task<Guid> DemoProjectIdAsync()
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<NerubaDbContext>().Projects.Single(p => p.Slug == "demo").Id;
    }

    /// <summary>Runs a use case as the bootstrap admin in the demo project (or another project given).</summary>
    public async Task<UseCaseResult<TResult>> RunAsAdminAsync<TUseCase, TRequest, TResult>(TRequest request, Guid? projectId = null)
        where TUseCase : UseCase<TRequest, TResult>
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>().FindByEmailAsync(AdminEmail);
        var actor = Actor.Person(admin!.Id, AdminEmail, projectId ?? await DemoProjectIdAsync());
        return await scope.ServiceProvider.GetRequiredService<UseCaseRunner>()
            .RunAsync(scope.ServiceProvider.GetRequiredService<TUseCase>(), actor, request);
    }

    /// <summary>Creates an API key in the demo project (or another) and returns its secret.</summary>
    public async Task<string> CreateApiKeyAsync(Guid? projectId, params string[] scopes)
    {
        var result = await RunAsAdminAsync<CreateApiKey, CreateApiKey.Request, CreateApiKey.Result>(
            new CreateApiKey.Request("test key " + string.Join('+', scopes), scopes, null), projectId);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!.Secret;
    }

    /// <summary>A plain API client (no cookies) that sends the given key as a bearer token.</summary>
    public HttpClient CreateApiClient(string? secret)
    {
        var client = new HttpClient { BaseAddress = ServerAddress };
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    /// <summary>Creates a user with the given role in the demo project (or with no membership when role is null).</summary>
    public async Task<string> CreateMemberAsync(string email, ProjectRole? role)
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var user = new NerubaUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, MemberPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        if (role is { } projectRole)
        {
            var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
            var demo = db.Projects.Single(p => p.Slug == "demo");
            db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), demo.Id, user.Id, projectRole, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        return user.Id;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder)
        {
            DeleteFolder(DataDirectory);
        }
    }

    public static void DeleteFolder(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
