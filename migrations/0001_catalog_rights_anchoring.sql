CREATE TABLE "anchor_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"root" text NOT NULL,
	"record_count" integer NOT NULL,
	"status" text DEFAULT 'sealed' NOT NULL,
	"tx_hash" text,
	"block_number" bigint,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"anchored_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "anchor_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"record_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"batch_id" uuid,
	"leaf_index" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_numbers" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_rows" (
	"version_id" uuid NOT NULL,
	"row_index" integer NOT NULL,
	"values" jsonb NOT NULL,
	CONSTRAINT "dataset_rows_version_id_row_index_pk" PRIMARY KEY("version_id","row_index")
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text NOT NULL,
	"description_zh" text NOT NULL,
	"description_en" text NOT NULL,
	"domain" text NOT NULL,
	"industry" text,
	"keywords" text[] NOT NULL,
	"columns" jsonb NOT NULL,
	"update_frequency" text NOT NULL,
	"row_count" bigint NOT NULL,
	"sample_rows" jsonb NOT NULL,
	"classification" text NOT NULL,
	"grade" text NOT NULL,
	"personal_info" boolean NOT NULL,
	"commitment" text NOT NULL,
	"uploaded_row_count" bigint,
	"uploaded_commitment" text,
	"search_text" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"current_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"listed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "listing_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"actor_id" uuid NOT NULL,
	"reason" text,
	"checks" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rights_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"previous_id" uuid,
	"kind" text NOT NULL,
	"status" text DEFAULT 'current' NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"issued_by" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rights_holdings" (
	"certificate_id" uuid NOT NULL,
	"right" text NOT NULL,
	"holder_id" uuid NOT NULL,
	"share_bps" integer NOT NULL,
	CONSTRAINT "rights_holdings_certificate_id_right_holder_id_pk" PRIMARY KEY("certificate_id","right","holder_id"),
	CONSTRAINT "rights_holdings_share_range" CHECK ("rights_holdings"."share_bps" > 0 and "rights_holdings"."share_bps" <= 10000)
);
--> statement-breakpoint
ALTER TABLE "dataset_rows" ADD CONSTRAINT "dataset_rows_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_provider_id_participants_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_events" ADD CONSTRAINT "listing_events_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_certificates" ADD CONSTRAINT "rights_certificates_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_certificates" ADD CONSTRAINT "rights_certificates_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_holdings" ADD CONSTRAINT "rights_holdings_certificate_id_rights_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."rights_certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rights_holdings" ADD CONSTRAINT "rights_holdings_holder_id_participants_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "anchor_batches_seq_key" ON "anchor_batches" USING btree ("seq");--> statement-breakpoint
CREATE UNIQUE INDEX "anchor_records_kind_record_key" ON "anchor_records" USING btree ("kind","record_id");--> statement-breakpoint
CREATE INDEX "anchor_records_pending_idx" ON "anchor_records" USING btree ("id") WHERE batch_id is null;--> statement-breakpoint
CREATE INDEX "anchor_records_batch_idx" ON "anchor_records" USING btree ("batch_id","leaf_index");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_dataset_version_key" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE INDEX "dataset_versions_search_idx" ON "dataset_versions" USING gin (to_tsvector('simple', "search_text"));--> statement-breakpoint
CREATE INDEX "datasets_provider_idx" ON "datasets" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "datasets_status_idx" ON "datasets" USING btree ("status");--> statement-breakpoint
CREATE INDEX "listing_events_dataset_idx" ON "listing_events" USING btree ("dataset_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rights_certificates_number_key" ON "rights_certificates" USING btree ("number");--> statement-breakpoint
CREATE INDEX "rights_certificates_dataset_idx" ON "rights_certificates" USING btree ("dataset_id","issued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rights_certificates_current_key" ON "rights_certificates" USING btree ("dataset_id") WHERE status = 'current';--> statement-breakpoint
CREATE INDEX "rights_holdings_holder_idx" ON "rights_holdings" USING btree ("holder_id");