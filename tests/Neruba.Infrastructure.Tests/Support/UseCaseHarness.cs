using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Domain.Access;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;

namespace Neruba.Infrastructure.Tests.Support;

/// <summary>An initialised embedded database with the demo project, and use cases run as chosen people.</summary>
public sealed class UseCaseHarness : IAsyncDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly InfrastructureHost _host;

    private UseCaseHarness(IDictionary<string, string?>? settings)
    {
        _host = InfrastructureHost.Embedded(_folder, "Correct-Horse-42!", settings);
    }

    public Guid ProjectId { get; private set; }

    public Actor Admin { get; private set; } = default!;

    public IServiceProvider Services => _host.Services;

    public TestClock Clock => _host.Clock;

    /// <summary>Every log line so far, EF Core's executed commands included (tests count queries with it).</summary>
    public CapturingLoggerProvider Logs => _host.Logs;

    /// <param name="settings">Configuration on top of the embedded defaults, e.g. <c>Neruba:Stripe:ApiBase</c> pointing at the fake Stripe.</param>
    public static async Task<UseCaseHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var harness = new UseCaseHarness(settings);
        await harness._host.InitializeAsync();
        await using var scope = harness._host.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>().FindByEmailAsync("admin@example.test");
        harness.ProjectId = scope.ServiceProvider.GetRequiredService<NerubaDbContext>().Projects.Single().Id;
        harness.Admin = Actor.Person(admin!.Id, "admin@example.test", harness.ProjectId);
        return harness;
    }

    public async Task<UseCaseResult<TResult>> RunAsync<TUseCase, TRequest, TResult>(Actor actor, TRequest request)
        where TUseCase : UseCase<TRequest, TResult>
    {
        await using var scope = _host.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UseCaseRunner>()
            .RunAsync(scope.ServiceProvider.GetRequiredService<TUseCase>(), actor, request);
    }

    /// <summary>Runs a use case that must succeed (as <paramref name="actor"/>, or the admin) and returns its value.</summary>
    public async Task<TResult> ValueAsync<TUseCase, TRequest, TResult>(TRequest request, Actor? actor = null)
        where TUseCase : UseCase<TRequest, TResult>
    {
        var result = await RunAsync<TUseCase, TRequest, TResult>(actor ?? Admin, request);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    public async Task<IdempotentResult<TResult>> RunIdempotentAsync<TUseCase, TRequest, TResult>(Actor actor, TRequest request, string key)
        where TUseCase : UseCase<TRequest, TResult>
    {
        await using var scope = _host.CreateScope();
        return await RunIdempotentAsync(scope.ServiceProvider.GetRequiredService<TUseCase>(), actor, request, key);
    }

    /// <summary>Runs a use case object the test made itself (e.g. one that fails on purpose) under an Idempotency-Key.</summary>
    public async Task<IdempotentResult<TResult>> RunIdempotentAsync<TRequest, TResult>(UseCase<TRequest, TResult> useCase, Actor actor, TRequest request, string key)
    {
        await using var scope = _host.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunIdempotentAsync(useCase, actor, request, key,
            value => new StoredResponse(200, System.Text.Json.JsonSerializer.Serialize(value)));
    }

    public async Task<UseCaseResult<TResult>> RunAsync<TRequest, TResult>(UseCase<TRequest, TResult> useCase, Actor actor, TRequest request)
    {
        await using var scope = _host.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(useCase, actor, request);
    }

    public async Task<T> QueryAsync<T>(Func<NerubaDbContext, Task<T>> query)
    {
        await using var scope = _host.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<NerubaDbContext>());
    }

    public async Task<Actor> AddPersonAsync(string email, ProjectRole role)
    {
        await using var scope = _host.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NerubaUser>>();
        var user = new NerubaUser { UserName = email, Email = email };
        await users.CreateAsync(user, "Member-Password-42!");
        var db = scope.ServiceProvider.GetRequiredService<NerubaDbContext>();
        db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), ProjectId, user.Id, role, Clock.GetUtcNow()));
        await db.SaveChangesAsync();
        return Actor.Person(user.Id, email, ProjectId);
    }

    /// <summary>Runs <paramref name="action"/> and counts the database commands it executed.</summary>
    public async Task<(T Result, int Queries)> CountQueriesAsync<T>(Func<Task<T>> action)
    {
        int Executed() => Logs.Lines.Count(l => l.Message.StartsWith("Executed DbCommand", StringComparison.Ordinal));
        var before = Executed();
        var result = await action();
        return (result, Executed() - before);
    }

    /// <summary>A second project whose Admin is this harness's admin: the same person, acting elsewhere.</summary>
    public async Task<Actor> AdminOfAnotherProjectAsync()
    {
        var projectId = await QueryAsync(async db =>
        {
            var project = new Project(Guid.NewGuid(), "Other project", "other", "USD", "UTC", Clock.GetUtcNow());
            db.Projects.Add(project);
            db.ProjectMemberships.Add(new ProjectMembership(Guid.NewGuid(), project.Id, Admin.Id, ProjectRole.Admin, Clock.GetUtcNow()));
            await db.SaveChangesAsync();
            return project.Id;
        });
        return Actor.Person(Admin.Id, Admin.Name, projectId);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }
}
