using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunAlertDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Decision",
                table: "RunAlerts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Rows stored before this migration take the decision in force on their object (by the run's broker).
            migrationBuilder.Sql(@"UPDATE ""RunAlerts"" SET ""Decision"" = (SELECT CASE d.""Verdict"" WHEN 'Interesting' THEN 1 ELSE 2 END FROM ""TriageDecisions"" d JOIN ""BrokerQueries"" q ON q.""Broker"" = d.""Broker"" JOIN ""QueryRuns"" r ON r.""BrokerQueryId"" = q.""Id"" WHERE r.""Id"" = ""RunAlerts"".""QueryRunId"" AND d.""AlertId"" = ""RunAlerts"".""AlertId"") WHERE EXISTS (SELECT 1 FROM ""TriageDecisions"" d JOIN ""BrokerQueries"" q ON q.""Broker"" = d.""Broker"" JOIN ""QueryRuns"" r ON r.""BrokerQueryId"" = q.""Id"" WHERE r.""Id"" = ""RunAlerts"".""QueryRunId"" AND d.""AlertId"" = ""RunAlerts"".""AlertId"");");

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Decision_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Decision", "Position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Decision_Position",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "Decision",
                table: "RunAlerts");
        }
    }
}
