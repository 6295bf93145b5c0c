using Microsoft.Extensions.Options;
using Taskee.Api;
using Taskee.Silo;
using Taskee.Silo.Commands;

if (args.Length > 0 && SiloCommands.Find(args[0]) is { } command)
{
    return await command(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddTaskeeSilo();

var app = builder.Build();
app.UseTaskeeApi();
app.MapTaskeeApi();

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", ex.Failures)}");
    return 2;
}

public partial class Program;
