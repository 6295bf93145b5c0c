namespace Taskee.Api.Imports;

/// <summary>Rows by outcome so far; <see cref="ToString"/> is the command's closing line.</summary>
public sealed record ImportCounts(long Created, long Updated, long Unchanged, long Rejected)
{
    public static readonly ImportCounts Zero = new(0, 0, 0, 0);

    public long Done => Created + Updated + Unchanged + Rejected;

    public ImportCounts Add(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Created => this with { Created = Created + 1 },
        ImportOutcome.Updated => this with { Updated = Updated + 1 },
        ImportOutcome.Unchanged => this with { Unchanged = Unchanged + 1 },
        _ => this with { Rejected = Rejected + 1 },
    };

    public override string ToString() => $"created {Created}, updated {Updated}, unchanged {Unchanged}, rejected {Rejected}";
}
