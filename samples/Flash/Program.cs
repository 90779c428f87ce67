using Flash;

FlashApp.Build(args).Run();
