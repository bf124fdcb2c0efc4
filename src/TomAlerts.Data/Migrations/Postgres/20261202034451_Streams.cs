using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Streams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunFollowUps_QueryRunId_Hook",
                table: "RunFollowUps");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Mag",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Name",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Score",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Timestamp",
                table: "RunAlerts");

            migrationBuilder.AddColumn<int>(
                name: "FromPosition",
                table: "RunFollowUps",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ToPosition",
                table: "RunFollowUps",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsStream",
                table: "BrokerQueries",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "StreamSubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Topics = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    OwnerId = table.Column<string>(type: "text", nullable: true),
                    Visibility = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BrokerQueryId = table.Column<int>(type: "integer", nullable: false),
                    GroupId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ProtectedCredentials = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StateMessage = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    MessagesConsumed = table.Column<long>(type: "bigint", nullable: false),
                    Lag = table.Column<long>(type: "bigint", nullable: true),
                    Throughput = table.Column<double>(type: "double precision", nullable: true),
                    LastMessageAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CurrentRunId = table.Column<long>(type: "bigint", nullable: true),
                    FollowedUpTo = table.Column<int>(type: "integer", nullable: false),
                    LastFollowUp = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Modified = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StreamSubscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StreamSubscriptions_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_StreamSubscriptions_BrokerQueries_BrokerQueryId",
                        column: x => x.BrokerQueryId,
                        principalTable: "BrokerQueries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_StreamSubscriptions_QueryRuns_CurrentRunId",
                        column: x => x.CurrentRunId,
                        principalTable: "QueryRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "StreamDeadLetters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StreamSubscriptionId = table.Column<int>(type: "integer", nullable: false),
                    Topic = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Partition = table.Column<int>(type: "integer", nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    Received = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Value = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StreamDeadLetters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StreamDeadLetters_StreamSubscriptions_StreamSubscriptionId",
                        column: x => x.StreamSubscriptionId,
                        principalTable: "StreamSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RunFollowUps_QueryRunId_Hook_FromPosition",
                table: "RunFollowUps",
                columns: new[] { "QueryRunId", "Hook", "FromPosition" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Classification_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Classification", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Dec_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Dec", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Detections_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Detections", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_FirstDetection_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "FirstDetection", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_LastDetection_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "LastDetection", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Mag_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Mag", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Name_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Name", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Ra_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Ra", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Score_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Score", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Timestamp_Position",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Timestamp", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_StreamDeadLetters_StreamSubscriptionId_Topic_Partition_Offs~",
                table: "StreamDeadLetters",
                columns: new[] { "StreamSubscriptionId", "Topic", "Partition", "Offset" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StreamSubscriptions_BrokerQueryId",
                table: "StreamSubscriptions",
                column: "BrokerQueryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StreamSubscriptions_CurrentRunId",
                table: "StreamSubscriptions",
                column: "CurrentRunId");

            migrationBuilder.CreateIndex(
                name: "IX_StreamSubscriptions_Enabled",
                table: "StreamSubscriptions",
                column: "Enabled");

            migrationBuilder.CreateIndex(
                name: "IX_StreamSubscriptions_OwnerId",
                table: "StreamSubscriptions",
                column: "OwnerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StreamDeadLetters");

            migrationBuilder.DropTable(
                name: "StreamSubscriptions");

            migrationBuilder.DropIndex(
                name: "IX_RunFollowUps_QueryRunId_Hook_FromPosition",
                table: "RunFollowUps");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Classification_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Dec_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Detections_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_FirstDetection_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_LastDetection_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Mag_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Name_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Ra_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Score_Position",
                table: "RunAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RunAlerts_QueryRunId_Timestamp_Position",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "FromPosition",
                table: "RunFollowUps");

            migrationBuilder.DropColumn(
                name: "ToPosition",
                table: "RunFollowUps");

            migrationBuilder.DropColumn(
                name: "IsStream",
                table: "BrokerQueries");

            migrationBuilder.CreateIndex(
                name: "IX_RunFollowUps_QueryRunId_Hook",
                table: "RunFollowUps",
                columns: new[] { "QueryRunId", "Hook" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Mag",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Mag" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Name",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Score",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Score" });

            migrationBuilder.CreateIndex(
                name: "IX_RunAlerts_QueryRunId_Timestamp",
                table: "RunAlerts",
                columns: new[] { "QueryRunId", "Timestamp" });
        }
    }
}
