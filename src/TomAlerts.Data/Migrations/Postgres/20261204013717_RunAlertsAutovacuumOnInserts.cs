using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <summary>
    /// A run's rows are written once and then paged, counted and matched through index-only scans, which read the index
    /// alone only once vacuum has marked the new rows' pages all-visible; until then they visit every row they skip or
    /// count (page 1,000 of a run of 100,000 just stored: 143 ms, after VACUUM 10 ms). By default autovacuum waits for
    /// inserts of a fifth of the table, millions of rows once a deployment has many runs; these tables are vacuumed after
    /// every 10,000 inserts.
    /// </summary>
    public partial class RunAlertsAutovacuumOnInserts : Migration
    {
        private static readonly string[] Tables = ["RunAlerts", "RunAlertKeys"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""ALTER TABLE "{table}" SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000)""");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""ALTER TABLE "{table}" RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold)""");
            }
        }
    }
}
